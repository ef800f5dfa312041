// Small progressive enhancements. Every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Preselect the browser's timezone on sign-up, when the seeker hasn't chosen one.
  const tz = document.querySelector("select[name=timezone][data-detect]");
  if (tz && tz.value === "UTC") {
    const guess = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if ([...tz.options].some((o) => o.value === guess)) tz.value = guess;
  }
  // Move focus to an error summary so screen readers announce what to fix.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});
