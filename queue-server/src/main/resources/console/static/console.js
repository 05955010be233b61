// Conveyor console: live updates and the manifest file picker. No framework, nothing fetched
// from elsewhere. The server sends Server-Sent Events from its one event tail; on an event the
// page fetches itself again and swaps in its live regions, so what is shown always comes from
// the server's templates (escaped there), never from strings put together here.
(function () {
  "use strict";

  var body = document.body;
  var indicator = document.getElementById("live");
  var refreshing = false;
  var pending = false;
  var lastRefresh = 0;
  var MIN_GAP_MS = 1000;
  var source = null;
  var jobs = body.getAttribute("data-live-jobs");

  function setLive(state) {
    if (indicator) {
      indicator.className = "live " + state;
      indicator.title = state === "on" ? "Live updates on" : "Live updates reconnecting";
    }
  }

  function schedule() {
    if (refreshing) {
      pending = true;
      return;
    }
    var wait = Math.max(0, lastRefresh + MIN_GAP_MS - Date.now());
    refreshing = true;
    setTimeout(refresh, Math.max(wait, 150));
  }

  function refresh() {
    lastRefresh = Date.now();
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live-region]").forEach(function (region) {
          var replacement = region.id && fresh.getElementById(region.id);
          if (replacement) {
            region.innerHTML = replacement.innerHTML;
          }
        });
        var freshJobs = fresh.body.getAttribute("data-live-jobs");
        if (freshJobs && freshJobs !== jobs) {
          jobs = freshJobs;
          body.setAttribute("data-live-jobs", jobs);
          connect();
        }
        body.setAttribute("data-refreshed", String(Date.now()));
      })
      .catch(function () { /* the next event or reconnect tries again */ })
      .finally(function () {
        refreshing = false;
        if (pending) {
          pending = false;
          schedule();
        }
      });
  }

  function connect() {
    if (source) {
      source.close();
    }
    var url = "/console/events" + (jobs && jobs !== "all" ? "?jobs=" + encodeURIComponent(jobs) : "");
    source = new EventSource(url);
    var opened = false;
    source.onopen = function () {
      setLive("on");
      if (opened) {
        schedule(); // reconnected: catch up on what happened meanwhile
      }
      opened = true;
    };
    source.onerror = function () { setLive("off"); };
    source.addEventListener("job", schedule);
  }

  if (jobs) {
    connect();
  }

  var every = parseInt(body.getAttribute("data-live-every") || "0", 10);
  if (every > 0) {
    setLive("on");
    setInterval(schedule, every);
  }

  // The manifest file picker fills the text area, so the form posts text and needs no upload.
  document.querySelectorAll("input[type=file][data-fills]").forEach(function (input) {
    input.addEventListener("change", function () {
      var target = document.getElementById(input.getAttribute("data-fills"));
      var file = input.files && input.files[0];
      if (!target || !file) {
        return;
      }
      var reader = new FileReader();
      reader.onload = function () { target.value = String(reader.result); };
      reader.readAsText(file);
    });
  });
})();
