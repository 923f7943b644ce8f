/* Unlock an encrypted journal page in the browser (format: journal/encrypt.py).
   The key is derived from the passphrase with PBKDF2-HMAC-SHA256 and kept, for this browser
   session only, in sessionStorage, so moving between pages does not ask again. The
   passphrase itself is never stored. "Lock" forgets the key. No request leaves the site.
   window.journalUnlock.open(sealed) opens other data sealed by the same build (the search
   index) with that key, so search.js needs no decryption code of its own. */
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
    document.replaceChild(document.importNode(parsed.documentElement, true), document.documentElement);
    Array.prototype.forEach.call(document.querySelectorAll("script"), revive);
    var button = document.createElement("button");
    button.id = "lock";
    button.type = "button";
    button.textContent = "Lock";
    button.addEventListener("click", lock);
    (document.querySelector("header.site") || document.body).appendChild(button);
  }

  /* A key that opens the check value is the right key; if it then fails on the content,
     the content was altered (AES-GCM refuses tampered ciphertext), and nothing is shown. */
  function decrypt(key, box) {
    return open(key, box.check).then(function () {
      return open(key, box.page).catch(function () {
        throw new Error(ALTERED);
      });
    }, function () {
      throw new Error(WRONG);
    });
  }

  function remembered(box) {
    var stored = JSON.parse(sessionStorage.getItem(STORE) || "null");
    if (!stored || stored.salt !== box.salt) {
      return Promise.reject(new Error(""));
    }
    return crypto.subtle.importKey("raw", bytes(stored.key), "AES-GCM", false, ["decrypt"]);
  }

  window.journalUnlock = {
    /* The text of `box` (encrypt.seal's JSON, parsed) with the key of this session. */
    open: function (box) {
      return remembered(box).then(function (key) {
        return decrypt(key, box);
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

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    say("Unlocking…", "");
    derive(input.value).then(function (key) {
      return decrypt(key, sealed).then(function (page) {
        return crypto.subtle.exportKey("raw", key).then(function (raw) {
          sessionStorage.setItem(STORE, JSON.stringify({ salt: sealed.salt, key: base64(raw) }));
          show(page);
        });
      });
    }).catch(function (error) {
      say(error.message);
      input.select();
    });
  });

  remembered(sealed).then(function (key) {
    return decrypt(key, sealed).then(show).catch(function (error) {
      if (error.message === WRONG) {  /* a key from an older build: ask again */
        sessionStorage.removeItem(STORE);
        return;
      }
      say(error.message);
      form.hidden = true;
    });
  }, function () {});
}());
