// The reconnect dialog. blazor.web.js reports each connection state on the dialog and sets the matching
// components-reconnect-* class (the CSS shows that state's text); this opens, closes and retries.
const modal = document.getElementById("components-reconnect-modal");
modal.addEventListener("components-reconnect-state-changed", onStateChanged);
document.getElementById("components-reconnect-button").addEventListener("click", retry);
document.getElementById("components-resume-button").addEventListener("click", resume);
modal.querySelector(".components-reconnect-reload").addEventListener("click", event => {
    event.preventDefault();
    location.reload();
});

function onStateChanged(event) {
    const state = event.detail.state;
    if (state === "hide") {
        modal.close();
        return;
    }
    if (state === "rejected") {
        // The server no longer knows this circuit: only a fresh page helps.
        location.reload();
        return;
    }
    if (!modal.open) modal.showModal();
    if (state === "failed") document.addEventListener("visibilitychange", retryWhenVisible);
}

async function retry() {
    document.removeEventListener("visibilitychange", retryWhenVisible);
    try {
        // true: reconnected; false: the server answered but has dropped the circuit; a throw: not reachable.
        if (await Blazor.reconnect()) return;
        if (await Blazor.resumeCircuit()) modal.close();
        else location.reload();
    } catch {
        document.addEventListener("visibilitychange", retryWhenVisible);
    }
}

async function resume() {
    try {
        if (!await Blazor.resumeCircuit()) location.reload();
    } catch {
        location.reload();
    }
}

async function retryWhenVisible() {
    if (document.visibilityState === "visible") await retry();
}
