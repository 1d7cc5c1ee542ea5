// The renderer's entry point: connect to main (Electron preload or browser-mode WebSocket), start the app.
import './styles.css';
import { startApp } from './app';
import { connect } from './transport/connection';

const root = document.getElementById('app')!;
try {
  void startApp(root, connect()).catch(fail);
} catch (error) {
  fail(error);
}

function fail(error: unknown): void {
  console.error(error);
  const message = document.createElement('p');
  message.className = 'fatal';
  message.textContent = `Longmode could not start: ${error instanceof Error ? error.message : String(error)}`;
  root.append(message);
}
