/* Unlock an encrypted journal page in the browser (format: journal/encrypt.py).
   The key is derived from the passphrase with PBKDF2-HMAC-SHA256 and kept, for this browser
   session only, in sessionStorage, so moving between pages does not ask again. The
   passphrase itself is never stored. "Lock" forgets the key. No request leaves the site. */
(function () {
  "use strict";
  var STORE = "journal-key";
  var WRONG = "Wrong passphrase.";
  var ALTERED = "This page has been altered or damaged and cannot be shown.";
  var sealed = JSON.parse(document.getElementById("sealed").textContent);
  var form = document.getElementById("unlock");
  var input = document.getElementById("passphrase");
  var message = document.getElementById("message");

  function bytes(text) {
    return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
  }

  function base64(buffer) {
    return btoa(String.fromCharCode.apply(null, new Uint8Array(buffer)));
  }

  function say(text, className) {
    message.textContent = text;
    message.className = className === undefined ? "error" : className;
  }

  function open(key, box) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes(box.nonce) }, key, bytes(box.data));
  }

  function derive(passphrase) {
    return crypto.subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveKey"])
      .then(function (material) {
        return crypto.subtle.deriveKey(
          { name: "PBKDF2", hash: "SHA-256", salt: bytes(sealed.salt), iterations: sealed.iterations },
          material, { name: "AES-GCM", length: 256 }, true, ["decrypt"]);
      });
  }

  function lock() {
    sessionStorage.removeItem(STORE);
    location.reload();
  }

  function show(buffer) {
    var html = new TextDecoder().decode(buffer);
    var parsed = new DOMParser().parseFromString(html, "text/html");
    document.replaceChild(document.importNode(parsed.documentElement, true), document.documentElement);
    var button = document.createElement("button");
    button.id = "lock";
    button.type = "button";
    button.textContent = "Lock";
    button.addEventListener("click", lock);
    (document.querySelector("header.site") || document.body).appendChild(button);
  }

  /* A key that opens the check value is the right key; if it then fails on the page,
     the page was altered (AES-GCM refuses tampered ciphertext), and nothing is shown. */
  function unlock(key) {
    return open(key, sealed.check).then(function () {
      return open(key, sealed.page).then(show, function () {
        throw new Error(ALTERED);
      });
    }, function () {
      throw new Error(WRONG);
    });
  }

  function remembered() {
    var stored = JSON.parse(sessionStorage.getItem(STORE) || "null");
    if (!stored || stored.salt !== sealed.salt) {
      return Promise.reject(new Error(""));
    }
    return crypto.subtle.importKey("raw", bytes(stored.key), "AES-GCM", false, ["decrypt"]);
  }

  if (!window.crypto || !crypto.subtle) {
    say("This browser cannot decrypt here: open the site over https.");
    form.hidden = true;
    return;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    say("Unlocking…", "");
    var derived;
    derive(input.value).then(function (key) {
      derived = key;
      return unlock(key);
    }).then(function () {
      return crypto.subtle.exportKey("raw", derived).then(function (raw) {
        sessionStorage.setItem(STORE, JSON.stringify({ salt: sealed.salt, key: base64(raw) }));
      });
    }).catch(function (error) {
      say(error.message);
      input.select();
    });
  });

  remembered().then(function (key) {
    return unlock(key).catch(function (error) {
      if (error.message === WRONG) {  /* a key from an older build: ask again */
        sessionStorage.removeItem(STORE);
        return;
      }
      say(error.message);
      form.hidden = true;
    });
  }, function () {});
}());
