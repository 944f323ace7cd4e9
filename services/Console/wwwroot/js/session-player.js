// The session page's recording player: asciinema-player with a marker at each command; a click on a command seeks there.
(function () {
  const host = document.getElementById('player');
  if (!host || !window.AsciinemaPlayer) {
    return;
  }

  const markers = JSON.parse(host.dataset.markers || '[]');
  const startAt = host.dataset.startAt ? parseFloat(host.dataset.startAt) : undefined;
  const player = window.AsciinemaPlayer.create(host.dataset.cast, host, {
    markers: markers,
    startAt: startAt,
    preload: true,
    fit: 'width',
    pauseOnMarkers: false,
  });

  document.querySelectorAll('a.seek[data-seek]').forEach(function (link) {
    link.addEventListener('click', function (event) {
      event.preventDefault();
      player.seek(parseFloat(link.dataset.seek)).then(function () {
        host.scrollIntoView({ block: 'nearest' });
      });
    });
  });

  // For tests and operators alike: the page says when the player has the recording.
  player.addEventListener('ready', function () {
    host.dataset.ready = 'true';
  });
})();
