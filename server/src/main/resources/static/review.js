// Review queue keyboard shortcuts. The highlighted question is the first one without an answer:
// y/n (or 1/2) answer a yes/no question, 1..9 pick an option or type a score, Enter submits,
// s skips; on pages without a form, n follows the "next" link.
(function () {
  "use strict";
  var form = document.getElementById("review-form");

  function answered(fieldset) {
    var number = fieldset.querySelector("input[type=number]");
    if (number) {
      return number.value !== "";
    }
    return fieldset.querySelector("input[type=radio]:checked") !== null;
  }

  function active() {
    if (!form) {
      return null;
    }
    var questions = form.querySelectorAll("fieldset.question");
    for (var i = 0; i < questions.length; i++) {
      if (!answered(questions[i])) {
        return questions[i];
      }
    }
    return null;
  }

  function highlight() {
    if (!form) {
      return;
    }
    var current = active();
    form.querySelectorAll("fieldset.question").forEach(function (f) {
      f.classList.toggle("active", f === current);
    });
  }

  function pick(fieldset, key) {
    var type = fieldset.getAttribute("data-type");
    var radios = fieldset.querySelectorAll("input[type=radio]");
    if (type === "boolean") {
      var yes = key === "y" || key === "1";
      var no = key === "n" || key === "2";
      if (!yes && !no) {
        return false;
      }
      radios[yes ? 0 : 1].checked = true;
      return true;
    }
    if (!/^[1-9]$/.test(key)) {
      return false;
    }
    if (type === "number") {
      fieldset.querySelector("input[type=number]").value = key;
      return true;
    }
    var option = radios[Number(key) - 1];
    if (!option) {
      return false;
    }
    option.checked = true;
    return true;
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) {
      return;
    }
    var target = e.target;
    var typing = target && (target.tagName === "TEXTAREA" || target.tagName === "SELECT"
      || (target.tagName === "INPUT" && target.type !== "radio" && target.type !== "checkbox"));
    if (typing && !(e.key === "Enter" && target.type === "number")) {
      return;
    }
    var key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (!form) {
      var next = document.querySelector("[data-key-next]");
      if (key === "n" && next) {
        e.preventDefault();
        window.location.href = next.href;
      }
      return;
    }
    if (key === "Enter") {
      e.preventDefault();
      form.requestSubmit();
      return;
    }
    if (key === "s") {
      e.preventDefault();
      document.getElementById("skip-form").submit();
      return;
    }
    var question = active();
    if (question && pick(question, key)) {
      e.preventDefault();
      highlight();
    }
  });

  if (form) {
    form.addEventListener("change", highlight);
    form.addEventListener("input", highlight);
    highlight();
  }
})();
