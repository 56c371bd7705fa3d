// The code editor: CodeMirror 6 with Python and JavaScript highlighting, switched in place. It lives in a shadow
// root: there CodeMirror's style modules become adopted style sheets, which the console's Content-Security-Policy
// allows, where in the document itself they would be an inline <style> element, which it refuses.
import { basicSetup } from 'codemirror';
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { Compartment, Prec } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';

export const SAMPLES = {
  python: 'import sys\n\nname = sys.stdin.read().strip() or "world"\nprint(f"Hello, {name}!")\nprint(sum(range(1, 101)))\n',
  javascript: 'const _ = require("lodash");\n\nconsole.log(_.chunk([1, 2, 3, 4, 5, 6], 2));\nconsole.log([3, 1, 2].sort().join("-"));\n',
};

const MODES = { python: () => python(), javascript: () => javascript() };

/** The console's look for the editor (the stylesheet of the page does not reach into the shadow root). */
const LOOK = EditorView.theme({
  '&': { minHeight: '14rem', maxHeight: '32rem', backgroundColor: '#fff', fontSize: '14px' },
  '&.cm-focused': { outline: '3px solid #f59e0b', outlineOffset: '2px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace' },
});

/** An editor in a shadow root of `host` for `language`, labelled `label`; `onRun` is called on Ctrl/Cmd+Enter. */
export function createEditor(host, language, label, onRun) {
  const mode = new Compartment();
  const root = host.attachShadow({ mode: 'open' });
  const view = new EditorView({
    root,
    parent: root,
    doc: SAMPLES[language],
    extensions: [
      basicSetup,
      LOOK,
      mode.of(MODES[language]()),
      Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => { onRun(); return true; } }])),
      EditorView.contentAttributes.of({ 'aria-label': label }),
    ],
  });
  return {
    get code() { return view.state.doc.toString(); },
    /** Switches the highlighting; an untouched sample is replaced by the other language's. */
    setLanguage(next) {
      const changes = Object.values(SAMPLES).includes(this.code)
        ? { from: 0, to: view.state.doc.length, insert: SAMPLES[next] } : undefined;
      view.dispatch({ effects: mode.reconfigure(MODES[next]()), changes });
    },
  };
}
