// The console's entry point: three views (playground, usage, admin) switched by the navigation buttons.
import { setUpAdmin } from './admin.js';
import { setUpPlayground } from './playground.js';
import { bindField } from './session.js';
import { setUpUsage } from './usage.js';

function start() {
  bindField(document.getElementById('api-key'), 'apiKey');
  document.getElementById('forget-key').addEventListener('click', () => {
    const field = document.getElementById('api-key');
    field.value = '';
    field.dispatchEvent(new Event('input'));
  });
  document.getElementById('key-form').addEventListener('submit', (event) => event.preventDefault());

  setUpPlayground(document.getElementById('playground'));
  const views = {
    playground: { show() {} },
    usage: setUpUsage(document.getElementById('usage')),
    admin: setUpAdmin(document.getElementById('admin')),
  };

  const tabs = [...document.querySelectorAll('nav .tab')];
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      for (const other of tabs) {
        const selected = other === tab;
        if (selected) other.setAttribute('aria-current', 'page');
        else other.removeAttribute('aria-current');
        document.getElementById(other.dataset.view).hidden = !selected;
      }
      views[tab.dataset.view].show();
    });
  }
}

start();
