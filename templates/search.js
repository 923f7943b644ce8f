/* journal search: loads search-index.js on first focus of the search box, then finds the
   notes, contacts and promises holding every word typed (a word may be the start of one).
   The obvious comes first: results whose name or title holds every word, then those whose
   name, title or one-line detail (company and role, date and people) do, then the rest;
   within each, contacts, then meetings newest first, then promises. The list closes on
   Escape and on a click or tap outside the search box.
   Site-local, no network: a script tag works from file://, where fetch() of a file fails.
   In an encrypted site the index is sealed like the pages (window.journalSearchSealed):
   unlock.js, which unlocked this page, opens it with the key it keeps for the session (the
   index is sealed for its own address, search-index.js, like each page for its own). */
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) { return; }
  var input = form.querySelector("input[type=search]");
  var list = form.querySelector(".search-results");
  var root = form.getAttribute("data-root");
  var index = null, keys = null, state = "idle";
  var shownWords = {};  /* doc id -> [title words, title and detail words], folded, made once */
  var LIMIT = 20;

  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function load() {
    if (state !== "idle") { return; }
    state = "loading";
    var script = document.createElement("script");
    script.src = root + "/search-index.js";
    script.onload = function () {
      opened().then(function (loaded) {
        index = loaded;
        keys = Object.keys(index.words);
        state = "ready";
        run();
      }, failed);
    };
    script.onerror = failed;
    document.head.appendChild(script);
  }

  function opened() {
    if (window.journalSearchIndex) { return Promise.resolve(window.journalSearchIndex); }
    if (window.journalSearchSealed && window.journalUnlock) {
      return window.journalUnlock.open(window.journalSearchSealed, "search-index.js").then(JSON.parse);
    }
    return Promise.reject(new Error("no index"));
  }

  function failed() {
    state = "failed";
    show([], "The search index did not load.");
  }

  function postings(word) {
    var ids = [], previous = 0;
    index.words[word].split(",").forEach(function (gap) {
      previous += parseInt(gap, 36);
      ids.push(previous);
    });
    return ids;
  }

  // Documents holding a word that starts with `term` (exactly `term` when it is one letter).
  function matching(term) {
    var found = new Set();
    var words = term.length < 2 ? (index.words[term] ? [term] : []) : keys.filter(function (k) { return k.startsWith(term); });
    words.forEach(function (word) { postings(word).forEach(function (id) { found.add(id); }); });
    return found;
  }

  function wordsOf(text) {
    return fold(text).match(/[\p{L}\p{N}_]+/gu) || [];
  }

  /* 0: every term starts a word of the title; 1: of the title or the detail; 2: elsewhere. */
  function tier(id, terms) {
    if (!shownWords[id]) {
      var title = wordsOf(index.docs[id][1]);
      shownWords[id] = [title, title.concat(wordsOf(index.docs[id][3] || ""))];
    }
    var levels = shownWords[id];
    for (var level = 0; level < levels.length; level++) {
      var words = levels[level];
      var all = terms.every(function (term) {
        return words.some(function (word) { return term.length < 2 ? word === term : word.startsWith(term); });
      });
      if (all) { return level; }
    }
    return levels.length;
  }

  function run() {
    var terms = wordsOf(input.value);
    if (!terms.length) { show([], ""); return; }
    if (state !== "ready") { load(); return; }
    var hits = null;
    terms.forEach(function (term) {
      var found = matching(term);
      hits = hits === null ? found : new Set(Array.from(hits).filter(function (id) { return found.has(id); }));
    });
    var ranked = Array.from(hits).map(function (id) { return [tier(id, terms), id]; });
    ranked.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var ids = ranked.map(function (pair) { return pair[1]; });
    show(ids, ids.length ? "" : "Nothing found.");
  }

  function show(ids, message) {
    list.textContent = "";
    ids.slice(0, LIMIT).forEach(function (id) {
      var doc = index.docs[id];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + "/" + doc[0];
      link.textContent = doc[1];
      var detail = document.createElement("small");
      detail.textContent = doc[2] + (doc[3] ? " · " + doc[3] : "");
      item.append(link, " ", detail);
      list.append(item);
    });
    if (ids.length > LIMIT || message) {
      var note = document.createElement("li");
      note.className = "empty";
      note.textContent = message || (ids.length - LIMIT) + " more: add a word to narrow it down.";
      list.append(note);
    }
    list.hidden = !list.children.length;
  }

  function close() {
    list.hidden = true;
  }

  input.addEventListener("focus", function () {
    load();
    if (state === "ready" && input.value) { run(); }  /* back after an outside click */
  });
  input.addEventListener("input", run);
  form.addEventListener("keydown", function (event) {  /* in the box or on a result */
    if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      input.focus();  /* from a result: back to the box (whose focus shows the list), then */
      close();
    } else if (event.key === "Escape") {
      input.value = "";
    }
  });
  document.addEventListener("pointerdown", function (event) {
    if (!form.contains(event.target)) { close(); }
  });
  document.addEventListener("focusin", function (event) {
    if (!form.contains(event.target)) { close(); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) { window.location.href = first.href; }
  });
  form.setAttribute("data-ready", "");  /* what tests wait for: typing before this is lost */
}());
