/* Unlock an encrypted journal page in the browser (format: journal/encrypt.py).
   The key is derived from the passphrase with PBKDF2-HMAC-SHA256 as a non-extractable
   CryptoKey: scripts can ask the browser to decrypt with it, but cannot read its bytes. The
   passphrase itself is never stored, and no request leaves the site.
   Where the key is kept, so that the passphrase is asked once:
   - in this tab: IndexedDB under the site's own id and a random token of this tab's session
     (held in sessionStorage), so moving between pages does not ask again. Such records older
     than a day are deleted at the next unlock of the site;
   - for other tabs: a tab that is open and unlocked hands its key to a new tab of the same
     site that asks for it over a BroadcastChannel named after the site id (a CryptoKey is
     structured-cloneable, so it stays non-extractable). Once every tab of the site is
     closed, the next one asks for the passphrase;
   - on this device, only when "Remember on this device" is ticked: IndexedDB under the site
     id and "device", kept until Lock is pressed.
   The salt is the journal's own (not a build's), so a republish keeps the key: open tabs and
   remembered keys go on working; a new passphrase makes a new key, and they ask again.
   "Lock" deletes every record of the site and locks every open tab of it.
   IndexedDB and BroadcastChannel belong to the origin: a script of another site on the same
   origin (a project site next to this one on user.github.io) could use the key, as it could
   read any other storage there. Publish under a domain of the journal's own if that matters.
   Every sealed page is bound to its address (AES-GCM associated data: the site id and the
   page's path under the folder of this script, which is the site's root): a page moved to
   another address is refused. window.journalUnlock.open(sealed, path) opens other data
   sealed by the same build (the search index) with that key, so search.js needs no
   decryption code of its own. */
(function () {
  "use strict";
  var FORMAT = 2;
  var DATABASE = "journal-keys";
  var STORE = "keys";
  var SESSION = "journal-session ";  /* + site id: this tab's token */
  var DEVICE = "device";  /* the record's name after the site id when remembered on this device */
  var KEEP_MS = 24 * 60 * 60 * 1000;
  var ASK_MS = 1000;  /* how long a new tab waits for an open tab's key before it gives up */
  var WRONG = "Wrong passphrase.";
  var ALTERED = "This page has been altered or damaged and cannot be shown.";
  var MOVED = "This page's content belongs at another address of the journal, so it is not shown here.";
  var siteRoot = new URL(".", document.currentScript.src).href;
  var sealed = JSON.parse(document.getElementById("sealed").textContent);
  var form = document.getElementById("unlock");
  var input = document.getElementById("passphrase");
  var message = document.getElementById("message");
  var rememberBox = document.getElementById("remember");
  var button = form.querySelector("button[type=submit]");
  var current = null;  /* the key that unlocked this page */
  var channel = window.BroadcastChannel ? new BroadcastChannel("journal " + sealed.site) : null;

  function bytes(text) {
    return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
  }

  function say(text, className) {
    message.textContent = text;
    message.className = className === undefined ? "error" : className;
  }

  /* This page's path as the build named it: relative to the site's root, "index.html" for a
     folder, and ".html" added back where the server dropped it (GitHub Pages serves p/x.html
     at p/x too). */
  function here() {
    var url = new URL(location.href);
    url.hash = "";
    url.search = "";
    if (url.href.indexOf(siteRoot) !== 0) {
      return null;
    }
    var path = decodeURIComponent(url.href.slice(siteRoot.length));
    if (path === "" || path.endsWith("/")) {
      return path + "index.html";
    }
    return /\.[^\/]*$/.test(path) ? path : path + ".html";
  }

  function boundTo(path) {
    return new TextEncoder().encode("journal " + FORMAT + " " + sealed.site + " " + path);
  }

  function open(key, box, path) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes(box.nonce), additionalData: boundTo(path) }, key, bytes(box.data));
  }

  function derive(passphrase) {
    return crypto.subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveKey"])
      .then(function (material) {
        return crypto.subtle.deriveKey(
          { name: "PBKDF2", hash: "SHA-256", salt: bytes(sealed.salt), iterations: sealed.iterations },
          material, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
      });
  }

  /* One IndexedDB transaction: work(store) queues requests; resolves with the result of the
     request it returns, once the transaction has committed. */
  function transact(mode, work) {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open(DATABASE, 1);
      opening.onupgradeneeded = function () { opening.result.createObjectStore(STORE); };
      opening.onerror = function () { reject(opening.error); };
      opening.onsuccess = function () {
        var db = opening.result;
        var transaction = db.transaction(STORE, mode);
        var request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () {
          db.close();
          resolve(request ? request.result : undefined);
        };
        transaction.onabort = function () {
          db.close();
          reject(transaction.error);
        };
      };
    });
  }

  function siteRecords() {
    return IDBKeyRange.bound(sealed.site + " ", sealed.site + " \uffff");
  }

  function token() {
    return sessionStorage.getItem(SESSION + sealed.site);
  }

  function remember(key, onDevice) {
    var mine = token();
    if (!mine) {
      mine = Array.from(crypto.getRandomValues(new Uint8Array(16)), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
      sessionStorage.setItem(SESSION + sealed.site, mine);
    }
    var now = Date.now();
    return transact("readwrite", function (store) {
      store.openCursor(siteRecords()).onsuccess = function (event) {
        var cursor = event.target.result;
        if (cursor) {
          if (!cursor.value.device && now - cursor.value.saved > KEEP_MS) { cursor.delete(); }
          cursor.continue();
        }
      };
      store.put({ salt: sealed.salt, key: key, saved: now }, sealed.site + " " + mine);
      if (onDevice) {
        store.put({ salt: sealed.salt, key: key, saved: now, device: true }, sealed.site + " " + DEVICE);
      }
    });
  }

  /* all: every record of the site (Lock); else this tab's and the device's, which did not
     open this page (the passphrase changed) */
  function forget(all) {
    var mine = token();
    sessionStorage.removeItem(SESSION + sealed.site);
    return transact("readwrite", function (store) {
      if (all) {
        store.delete(siteRecords());
        return;
      }
      store.delete(sealed.site + " " + DEVICE);
      if (mine) {
        store.delete(sealed.site + " " + mine);
      }
    });
  }

  function lock() {
    current = null;
    if (channel) { channel.postMessage({ lock: true }); }
    forget(true).catch(function () {}).then(function () { location.reload(); });
  }

  /* Other tabs of this site: hand the key to one that asks, lock when one locks. */
  if (channel) {
    channel.onmessage = function (event) {
      if (event.data && event.data.lock) {
        if (current) {
          current = null;
          sessionStorage.removeItem(SESSION + sealed.site);
          location.reload();
        }
      } else if (event.data && event.data.ask && current) {
        channel.postMessage({ key: current, salt: sealed.salt });
      }
    };
  }

  /* A key from an open, unlocked tab of this site, or a rejection after ASK_MS. */
  function askOpenTabs() {
    if (!channel) {
      return Promise.reject(new Error(""));
    }
    return new Promise(function (resolve, reject) {
      var listener = function (event) {
        if (event.data && event.data.key && event.data.salt === sealed.salt) {
          channel.removeEventListener("message", listener);
          resolve(event.data.key);
        }
      };
      channel.addEventListener("message", listener);
      channel.postMessage({ ask: true });
      setTimeout(function () {
        channel.removeEventListener("message", listener);
        reject(new Error(""));
      }, ASK_MS);
    });
  }

  /* Scripts that come from DOMParser are marked as already run and never run: each is
     replaced by a fresh copy, which the browser runs (the search box needs search.js). */
  function revive(script) {
    var fresh = document.createElement("script");
    Array.prototype.forEach.call(script.attributes, function (attribute) {
      fresh.setAttribute(attribute.name, attribute.value);
    });
    fresh.textContent = script.textContent;
    script.replaceWith(fresh);
  }

  function show(buffer) {
    var html = new TextDecoder().decode(buffer);
    var parsed = new DOMParser().parseFromString(html, "text/html");
    /* Head and body are swapped, not the whole <html>: Chromium, finding its icon link gone
       for a moment, asks the server for /favicon.ico (a 404 on every unlocked page). */
    var root = document.documentElement;
    Array.prototype.forEach.call(parsed.documentElement.attributes, function (attribute) {
      root.setAttribute(attribute.name, attribute.value);
    });
    root.replaceChild(document.importNode(parsed.head, true), document.head);
    root.replaceChild(document.importNode(parsed.body, true), document.body);
    Array.prototype.forEach.call(document.querySelectorAll("script"), revive);
    var button = document.createElement("button");
    button.id = "lock";
    button.type = "button";
    button.textContent = "Lock";
    button.addEventListener("click", lock);
    (document.querySelector("header.site") || document.body).appendChild(button);
  }

  /* A key that opens the check value is the right key; if it then fails on the content,
     the content was altered (AES-GCM refuses tampered ciphertext, and content that claims
     an address it was not sealed for), and nothing is shown. */
  function decrypt(key, box, path) {
    if (box.path !== path || box.site !== sealed.site) {
      return Promise.reject(new Error(MOVED));
    }
    return open(key, box.check, "").then(function () {
      return open(key, box.page, path).catch(function () {
        throw new Error(ALTERED);
      });
    }, function () {
      throw new Error(WRONG);
    });
  }

  /* The key this tab already has: in memory, else this tab session's record, else the
     device's (when it was remembered there). */
  function remembered(box) {
    if (current) {
      return Promise.resolve(current);
    }
    var mine = token();
    return transact("readonly", function (store) {
      return store.getAll(IDBKeyRange.only(sealed.site + " " + (mine || DEVICE)));
    }).then(function (found) {
      return found.length || !mine ? found : transact("readonly", function (store) {
        return store.getAll(IDBKeyRange.only(sealed.site + " " + DEVICE));
      });
    }).then(function (found) {
      if (!found.length || found[0].salt !== box.salt) {
        throw new Error("");
      }
      return found[0].key;
    });
  }

  window.journalUnlock = {
    /* The text of `box` (encrypt.seal's JSON, parsed), sealed for `path`, with this page's key. */
    open: function (box, path) {
      return remembered(box).then(function (key) {
        return decrypt(key, box, path);
      }).then(function (buffer) {
        return new TextDecoder().decode(buffer);
      });
    }
  };

  if (!window.crypto || !crypto.subtle) {
    say("This browser cannot decrypt here: open the site over https.");
    form.hidden = true;
    return;
  }

  var path = here();
  if (sealed.format !== FORMAT || sealed.path !== path) {
    say(sealed.format !== FORMAT ? ALTERED : MOVED);
    form.hidden = true;
    return;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    say("Unlocking…", "");
    button.disabled = true;
    derive(input.value).then(function (key) {
      return decrypt(key, sealed, path).then(function (page) {
        current = key;
        /* shown even where the browser keeps nothing (IndexedDB off): it asks again then */
        return remember(key, rememberBox && rememberBox.checked).catch(function () {}).then(function () { show(page); });
      });
    }).catch(function (error) {
      button.disabled = false;
      say(error.message);
      input.select();
    });
  });

  /* Opened with a key from this tab, this device or another tab: shown without asking. */
  function openWith(key, fromElsewhere) {
    return decrypt(key, sealed, path).then(function (page) {
      current = key;
      return (fromElsewhere ? remember(key, false).catch(function () {}) : Promise.resolve()).then(function () { show(page); });
    }, function (error) {
      if (error.message === WRONG) {  /* not this site's key after all: ask again */
        return forget(false).catch(function () {});
      }
      say(error.message);
      form.hidden = true;
    });
  }

  remembered(sealed).then(function (key) {
    return openWith(key, false);
  }, function () {
    return askOpenTabs().then(function (key) {
      return current ? null : openWith(key, true);
    }, function () {});
  });
}());
