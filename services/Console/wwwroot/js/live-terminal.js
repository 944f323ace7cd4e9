// The live view: the session's output, as the gateway streams it, on an xterm.js terminal. Read-only: the terminal
// takes no input, and nothing is ever sent back.
(function () {
  const host = document.getElementById('live-terminal');
  const state = document.getElementById('live-state');
  if (!host || !window.Terminal) {
    return;
  }

  const terminal = new window.Terminal({ disableStdin: true, cursorBlink: false, convertEol: false, scrollback: 5000, cols: 100, rows: 30 });
  terminal.open(host);

  function say(text, failed) {
    state.textContent = text;
    state.className = failed ? 'error' : 'notice';
  }

  function bytes(base64) {
    const text = atob(base64);
    const data = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      data[i] = text.charCodeAt(i);
    }
    return data;
  }

  const source = new EventSource(host.dataset.output, { withCredentials: false });
  source.addEventListener('open', function () {
    say('Watching: output appears as the user sees it.', false);
    host.dataset.watching = 'true';
  });
  source.addEventListener('output', function (event) {
    terminal.write(bytes(event.data));
  });
  source.addEventListener('ended', function (event) {
    source.close();
    say('The session ended. ' + event.data, false);
    host.dataset.ended = 'true';
  });
  source.addEventListener('dropped', function (event) {
    source.close();
    say(event.data, true);
  });
  source.addEventListener('error', function () {
    // EventSource tries again by itself after a dropped connection; a refusal (the session is gone, no right) closes it.
    if (source.readyState === EventSource.CLOSED) {
      say('The live output could not be opened: the session may have ended, or you may not watch it. Reload the page to see why.', true);
    } else {
      say('The connection to the gateway was lost; reconnecting…', true);
    }
  });
})();
