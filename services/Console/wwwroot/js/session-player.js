// The session page's recording player: asciinema-player with a marker at each command; a click on a command seeks there.
(function () {
  const host = document.getElementById('player');
  if (!host || !window.AsciinemaPlayer) {
    return;
  }

  const markers = JSON.parse(host.dataset.markers || '[]');
  const startAt = host.dataset.startAt ? parseFloat(host.dataset.startAt) : undefined;

  fetch(host.dataset.cast, { credentials: 'same-origin' })
    .then(function (response) {
      if (!response.ok) {
        throw new Error('The recording could not be loaded (' + response.status + ')');
      }
      return response.text();
    })
    .then(function (cast) {
      const options = { markers: markers, startAt: startAt, preload: true, fit: 'width', pauseOnMarkers: false };
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
          player.seek(parseFloat(link.dataset.seek));
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
