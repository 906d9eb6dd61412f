// "Print" buttons: without JavaScript the browser's own print works the same.
document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
