// The password-reset page: reads the token from ?token=, posts the new
// password to the API and says what happened.
(function () {
  "use strict";
  var form = document.getElementById("reset");
  var status = document.getElementById("status");
  var token = new URLSearchParams(window.location.search).get("token");
  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }
  if (!token) {
    say("This link has no reset token. Ask for a new reset mail.", true);
    form.hidden = true;
    return;
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var password = document.getElementById("password").value;
    if (password !== document.getElementById("confirm").value) {
      say("The two passwords differ.", true);
      return;
    }
    say("Saving…", false);
    fetch("/v1/auth/password-reset/confirm", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: token, newPassword: password })
    }).then(function (res) {
      if (res.status === 204) {
        form.hidden = true;
        say("Your password is set. Sign in with it.", false);
        return;
      }
      return res.json().then(function (body) {
        say((body.error && body.error.message) || ("The server answered " + res.status + "."), true);
      });
    }).catch(function () {
      say("The server could not be reached. Try again.", true);
    });
  });
})();
