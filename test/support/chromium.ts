// The browser finder and DevTools driver live in scripts/ so that scripts taking screenshots share them.
export * from '../../scripts/browser.js';
