// The playground: code, language, stdin, Run; the result's figures, stdout and stderr (live when the service
// streams), and the images and other files the run wrote.
import { execute } from './api.js';
import { createEditor } from './editor.js';
import { mb, ms, showError, usd } from './format.js';
import { load } from './session.js';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function setUpPlayground(root) {
  const $ = (id) => root.querySelector(`#${id}`);
  const language = $('language');
  const runButton = $('run');
  const stdout = $('stdout');
  const stderr = $('stderr');
  const result = $('run-result');
  const error = $('run-error');
  const files = $('files');
  const fileList = $('file-list');
  let running = false;
  let fileUrls = [];

  const editor = createEditor($('editor'), language.value, 'Code', () => run());
  language.addEventListener('change', () => editor.setLanguage(language.value));
  runButton.addEventListener('click', () => run());
  // Ctrl/Cmd+Enter anywhere in the playground (the editor has its own binding)
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.defaultPrevented) {
      event.preventDefault();
      run();
    }
  });

  function clear() {
    stdout.textContent = '';
    stderr.textContent = '';
    showError(error, '');
    for (const url of fileUrls) URL.revokeObjectURL(url);
    fileUrls = [];
    fileList.replaceChildren();
    files.hidden = true;
  }

  async function run() {
    if (running) return;
    running = true;
    runButton.disabled = true;
    runButton.setAttribute('aria-busy', 'true');
    clear();
    result.textContent = 'Running…';
    const streamed = { stdout: false, stderr: false };
    try {
      const request = { code: editor.code, language: language.value };
      if ($('stdin').value) request.stdin = $('stdin').value;
      const answer = await execute(load('apiKey'), request, (stream, text) => {
        streamed[stream] = true;
        (stream === 'stdout' ? stdout : stderr).append(text);
      });
      // the full response is the truth: it replaces what arrived live (it may have been truncated there)
      stdout.textContent = answer.stdout ?? '';
      stderr.textContent = answer.stderr ?? '';
      result.textContent = summary(answer);
      result.dataset.status = answer.status ?? '';
      showFiles(answer.files ?? []);
    } catch (failure) {
      result.textContent = '';
      delete result.dataset.status;
      showError(error, failure.message);
    } finally {
      running = false;
      runButton.disabled = false;
      runButton.removeAttribute('aria-busy');
    }
  }

  function showFiles(list) {
    for (const file of list) {
      const blob = new Blob([decode(file)], { type: file.mimeType || 'application/octet-stream' });
      const url = URL.createObjectURL(blob);
      fileUrls.push(url);
      const item = document.createElement('li');
      if (IMAGE_TYPES.has(file.mimeType)) {
        const figure = document.createElement('figure');
        const image = document.createElement('img');
        image.src = url;
        image.alt = `image the run wrote: ${file.path}`;
        const caption = document.createElement('figcaption');
        caption.textContent = `${file.path} (${file.sizeBytes} bytes)`;
        figure.append(image, caption);
        item.append(figure);
      } else {
        const link = document.createElement('a');
        link.href = url;
        link.download = file.path.split('/').pop() || 'file';
        link.textContent = `${file.path} (${file.sizeBytes} bytes, ${file.mimeType})`;
        item.append(link);
      }
      fileList.append(item);
    }
    files.hidden = list.length === 0;
  }
}

function decode(file) {
  if (file.encoding !== 'base64') return file.content ?? '';
  const bytes = atob(file.content ?? '');
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
  return out;
}

function summary(answer) {
  const parts = [
    `Status: ${answer.status}`,
    `exit code ${answer.exitCode}`,
    `time ${ms(answer.executionTimeMs)}`,
    `memory ${mb(answer.memoryUsageMb)}`,
    `cost ${usd(answer.cost)}`,
  ];
  if (answer.signal) parts.push(`signal ${answer.signal}`);
  if (answer.outputTruncated) parts.push('output truncated');
  return parts.join(' · ');
}
