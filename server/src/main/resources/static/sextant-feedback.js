/*
 * Sextant end-user feedback snippet for browser apps (docs/feedback.md).
 *
 *   <script src="https://sextant.example.com/static/sextant-feedback.js"></script>
 *   const fb = Sextant.feedback({url: 'https://sextant.example.com', publicKey: 'pk-...'});
 *   fb.vote(traceId, 'up');
 *   fb.rating(traceId, 4, 5);
 *   fb.action(traceId, 'copy');                 // copy, accept, edit, regenerate, share
 *   fb.action(traceId, 'custom', {name: 'pin'});
 *   fb.correction(traceId, editedText);
 *   fb.comment(traceId, 'too long');
 *   fb.trackRetention(traceId, () => editor.value, acceptedText, [30, 120, 600]);
 *
 * Every call returns a Promise of the server's JSON answer and accepts an optional last argument
 * {spanId, endUserId}; spanId narrows it to a span of that trace. Use a public key: it may only send traces and feedback.
 */
(function (global) {
  'use strict';

  /** Similarity of the accepted text to what is there now: the share of its words still present, in order. */
  function fractionKept(accepted, current) {
    var a = String(accepted || '').split(/\s+/).filter(Boolean);
    var b = String(current || '').split(/\s+/).filter(Boolean);
    if (a.length === 0) return current ? 1 : 0;
    // Longest common subsequence of words, O(n*m) with two rows: fine for a chat answer.
    var prev = new Array(b.length + 1).fill(0);
    for (var i = 1; i <= a.length; i++) {
      var row = new Array(b.length + 1).fill(0);
      for (var j = 1; j <= b.length; j++) {
        row[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
      }
      prev = row;
    }
    return prev[b.length] / a.length;
  }

  function feedback(options) {
    if (!options || !options.url || !options.publicKey) {
      throw new Error('Sextant.feedback needs {url, publicKey}');
    }
    var endpoint = options.url.replace(/\/+$/, '') + '/api/feedback';

    function send(body, extra) {
      var item = Object.assign({}, body, extra || {});
      return fetch(endpoint, {
        method: 'POST',
        mode: 'cors',
        keepalive: true,
        headers: {'Authorization': 'Bearer ' + options.publicKey, 'Content-Type': 'application/json'},
        body: JSON.stringify(item)
      }).then(function (response) {
        return response.json().then(function (json) {
          if (!response.ok) {
            var error = new Error((json.error && json.error.message) || ('HTTP ' + response.status));
            error.status = response.status;
            throw error;
          }
          return json;
        });
      });
    }

    return {
      vote: function (traceId, value, extra) {
        return send({traceId: traceId, kind: 'vote', value: value}, extra);
      },
      rating: function (traceId, value, scale, extra) {
        return send({traceId: traceId, kind: 'rating', value: value, scale: scale || 5}, extra);
      },
      action: function (traceId, action, extra) {
        return send({traceId: traceId, kind: 'action', action: action}, extra);
      },
      correction: function (traceId, text, extra) {
        return send({traceId: traceId, kind: 'correction', text: text}, extra);
      },
      comment: function (traceId, text, extra) {
        return send({traceId: traceId, kind: 'comment', text: text}, extra);
      },
      /**
       * Checks at each delay (seconds) how much of the accepted text is still in getText() and posts a
       * retention checkpoint. Returns a function that cancels the checks still pending.
       */
      trackRetention: function (traceId, getText, acceptedText, delays, extra) {
        var timers = (delays || [30, 120, 600]).map(function (delay) {
          return setTimeout(function () {
            var kept = fractionKept(acceptedText, getText());
            send({traceId: traceId, kind: 'retention', delaySeconds: delay, present: kept >= 0.5,
              fractionKept: Math.round(kept * 1000) / 1000}, extra).catch(function () {});
          }, delay * 1000);
        });
        return function cancel() { timers.forEach(clearTimeout); };
      },
      fractionKept: fractionKept
    };
  }

  global.Sextant = Object.assign(global.Sextant || {}, {feedback: feedback});
})(typeof window !== 'undefined' ? window : this);
