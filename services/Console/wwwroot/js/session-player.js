// The session page's recording player: asciinema-player with a marker at each command; a click on a command seeks there.
(function () {
  const host = document.getElementById('player');
  if (!host || !window.AsciinemaPlayer) {
    return;
  }

  // Times from the session's events: for recordings made before the gateway marked each command in the recording.
  const eventMarkers = JSON.parse(host.dataset.markers || '[]');
  const eventStartAt = host.dataset.startAt ? parseFloat(host.dataset.startAt) : undefined;

  // The gateway marks each command in the recording as it runs ([t, "m", "3: sudo -i"]): exact, where the events'
  // times are the gateway's clock a moment apart from the recording's.
  function recordedMarkers(cast) {
    const bySequence = new Map();
    cast.split('\n').forEach(function (line) {
      if (line.indexOf('"m"') < 0) {
        return;
      }
      try {
        const event = JSON.parse(line);
        const sequence = Array.isArray(event) && event[1] === 'm' ? parseInt(String(event[2]), 10) : NaN;
        if (!isNaN(sequence) && !bySequence.has(sequence)) {
          bySequence.set(sequence, event[0]);
        }
      } catch (e) {
        // Not an event line.
      }
    });
    return bySequence;
  }

  fetch(host.dataset.cast, { credentials: 'same-origin' })
    .then(function (response) {
      if (!response.ok) {
        throw new Error('The recording could not be loaded (' + response.status + ')');
      }
      return response.text();
    })
    .then(function (cast) {
      const recorded = recordedMarkers(cast);
      const timeOf = function (sequence, fallback) {
        return recorded.has(sequence) ? recorded.get(sequence) : fallback;
      };
      const atCommand = host.dataset.atCommand ? parseInt(host.dataset.atCommand, 10) : NaN;
      const startAt = isNaN(atCommand) ? eventStartAt : timeOf(atCommand, eventStartAt);
      const options = { startAt: startAt, preload: true, fit: 'width', pauseOnMarkers: false };
      if (recorded.size === 0) {
        options.markers = eventMarkers;
      }
      // A client that asked for a terminal without a size (a piped 'ssh -tt') is recorded as 1x1, which no one can
      // read: such a recording is shown on the classic 80x24 instead.
      const header = JSON.parse(cast.substring(0, cast.indexOf('\n')));
      if (!(header.width > 1 && header.height > 1)) {
        options.cols = 80;
        options.rows = 24;
      }

      const player = window.AsciinemaPlayer.create({ data: cast }, host, options);
      // Opened at a command (from an alert): show the terminal as it stood then, before anyone presses play.
      if (startAt !== undefined) {
        player.seek(startAt);
      }

      document.querySelectorAll('a.seek[data-seek]').forEach(function (link) {
        link.addEventListener('click', function (event) {
          event.preventDefault();
          player.seek(timeOf(parseInt(link.dataset.sequence, 10), parseFloat(link.dataset.seek)));
        });
      });
      host.dataset.ready = 'true';
    })
    .catch(function (error) {
      const message = document.createElement('p');
      message.className = 'error';
      message.textContent = error.message;
      host.replaceChildren(message);
    });
})();
