// Small browser helpers the Blazor components call.
window.merchantConsole = {
  // Remembered across visits; read on the server when the next page renders.
  rememberTheme: function (dark) {
    document.cookie = "mc-theme=" + (dark ? "dark" : "light") + "; path=/; max-age=31536000; samesite=lax";
  }
};
