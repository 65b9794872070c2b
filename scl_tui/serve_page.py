"""The page `scl serve` hands a browser: textual-serve's, with a title and nothing fetched
from outside the host. Its stock page asks a public font CDN for Roboto Mono (a call
center's browser may not reach it, and need not tell anyone it opened the app) and has
no <title>; the font ships in textual-serve's static files, so it is served from there.

The body keeps what textual.js looks for: `.textual-terminal` with the websocket URL and
font size, the `-first-byte` and `-closed` body classes, `#start` and `refresh()`.
"""

from __future__ import annotations

from html import escape
from string import Template


def app_page(public_url: str, title: str, font_size: int) -> str:
    """The page for a visitor: textual-serve's websocket and static files under
    `public_url` (what browsers use: the reverse proxy's address, or http://HOST:PORT)."""
    base = public_url.rstrip("/")
    scheme, rest = base.split(":", 1)
    websocket = ("wss:" if scheme == "https" else "ws:") + rest + "/ws"
    return PAGE.substitute(
        title=escape(title),
        static=escape(base + "/static/"),
        websocket=escape(websocket),
        font_size=max(6, min(font_size, 64)),
    )


PAGE = Template("""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>$title</title>
    <link rel="icon" href="data:,">
    <link rel="preload" href="${static}fonts/RobotoMono-VariableFont_wght.ttf"
          as="font" type="font/ttf" crossorigin>
    <link rel="stylesheet" href="${static}css/xterm.css">
    <script src="${static}js/textual.js"></script>
    <style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("${static}fonts/RobotoMono-VariableFont_wght.ttf")
          format("truetype");
        font-weight: 100 700;
        font-style: normal;
      }
      @font-face {
        font-family: "Roboto Mono";
        src: url("${static}fonts/RobotoMono-Italic-VariableFont_wght.ttf")
          format("truetype");
        font-weight: 100 700;
        font-style: italic;
      }
      body { background: #0c181f; margin: 0; }
      .dialog-container {
        position: absolute; width: 100vw; height: 100vh; z-index: 10;
        display: flex; align-items: center; justify-content: center;
      }
      .shade { position: absolute; width: 100%; height: 100%; background: #0c181f; }
      .intro {
        z-index: 20; width: 640px; min-height: 160px; margin: 32px; padding: 16px;
        display: flex; flex-direction: column; align-items: center; justify-content: center;
        font: 16px "Roboto Mono", menlo, monospace; text-align: center;
        color: rgba(255, 255, 255, 0.95); background-color: #12232d;
      }
      body.-first-byte .intro-dialog { display: none; }
      body .textual-terminal { opacity: 0; transition: opacity 0.3s ease-out; }
      body.-first-byte .textual-terminal { opacity: 1; }
      button {
        padding: 16px 32px; margin: 16px; border: none; cursor: pointer;
        font: 16px "Roboto Mono", menlo, monospace;
        color: rgba(255, 255, 255, 0.95); background-color: #5e0ba7;
      }
      button:hover { background: #ac5af4; }
      .closed-dialog { display: none; }
      body.-closed .closed-dialog { display: flex; }
      #start { display: none; }
      #start.-delay { display: block; }
    </style>
    <script>
      function getStartUrl() {
        const url = new URL(window.location.href);
        const params = new URLSearchParams(url.search);
        params.delete("delay");
        return url.pathname + "?" + params.toString();
      }
      function refresh() {
        window.location.href = getStartUrl();
      }
    </script>
  </head>
  <body>
    <div class="dialog-container intro-dialog">
      <div class="shade"></div>
      <div class="intro">
        <div>$title: starting…</div>
        <button type="button" onClick="refresh()" id="start">Start</button>
      </div>
    </div>
    <div class="dialog-container closed-dialog">
      <div class="shade"></div>
      <div class="intro">
        <div class="message">Session ended.</div>
        <button type="button" onClick="refresh()">Restart</button>
      </div>
    </div>
    <div id="terminal" class="textual-terminal"
         data-session-websocket-url="$websocket"
         data-font-size="$font_size"></div>
  </body>
</html>
""")
