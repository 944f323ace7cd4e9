// The live view: the session's output, as the gateway streams it, on an xterm.js terminal. Read-only: the terminal
// takes no input, and nothing is ever sent back.
(function () {
  const host = document.getElementById('live-terminal');
  const state = document.getElementById('live-state');
  if (!host || !window.Terminal) {
    return;
  }

  adoptTerminalStyles(document.documentElement);
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

  // xterm.js writes its theme (colours) and cell sizes into <style> elements, which the Content-Security-Policy
  // (style-src 'self', no inline styles) rightly refuses to apply. Their text is xterm's own, never the session's: it is
  // applied as constructed style sheets instead, which the policy leaves to the page's own script.
  function adoptTerminalStyles(root) {
    const sheets = new Map();
    function sync() {
      const styles = Array.from(root.querySelectorAll('style'));
      styles.forEach(function (style) {
        let sheet = sheets.get(style);
        if (!sheet) {
          sheet = new CSSStyleSheet();
          sheets.set(style, sheet);
        }
        sheet.replaceSync(style.textContent || '');
      });
      sheets.forEach(function (_, style) {
        if (!style.isConnected) {
          sheets.delete(style);
        }
      });
      const ours = new Set(sheets.values());
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter(function (sheet) { return !sheet.fromTerminal || ours.has(sheet); })
        .concat(Array.from(ours).filter(function (sheet) { return !document.adoptedStyleSheets.includes(sheet); }));
      ours.forEach(function (sheet) { sheet.fromTerminal = true; });
    }
    function touchesStyle(mutation) {
      const target = mutation.target.nodeType === Node.TEXT_NODE ? mutation.target.parentNode : mutation.target;
      return (target && target.nodeName === 'STYLE') || Array.from(mutation.addedNodes).some(function (node) { return node.nodeName === 'STYLE'; });
    }
    new MutationObserver(function (mutations) {
      if (mutations.some(touchesStyle)) {
        sync();
      }
    }).observe(root, { childList: true, subtree: true, characterData: true });
  }
})();
