// The native menus with the usual shortcuts. Items the renderer acts on become `menu.command`
// events; the rest are Electron roles (edit, zoom, reload) or main-process actions.
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../common/contract';

export interface MenuActions {
  command(command: MenuCommand): void;
  openFolder(): void;
  about(): void;
}

export function buildMenu(actions: MenuActions, options: { isMac: boolean; devTools: boolean }): Menu {
  const send = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => actions.command(command),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(options.isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        send('New File', 'file.newFile', 'CmdOrCtrl+N'),
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', click: () => actions.openFolder() },
        { type: 'separator' },
        send('Save', 'file.save', 'CmdOrCtrl+S'),
        send('Save All', 'file.saveAll', 'CmdOrCtrl+Alt+S'),
        { type: 'separator' },
        send('Build', 'build.run', 'CmdOrCtrl+B'),
        send('Boot', 'vm.boot', 'F5'),
        send('Pause', 'vm.pause', 'F6'),
        send('Continue', 'vm.continue', 'F8'),
        send('Stop', 'vm.stop', 'Shift+F5'),
        send('Restart', 'vm.restart', 'CmdOrCtrl+Shift+F5'),
        { type: 'separator' },
        options.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&Debug',
      submenu: [
        send('Toggle Breakpoint', 'debug.toggleBreakpoint', 'F9'),
        send('Step Over', 'debug.stepOver', 'F10'),
        send('Step Instruction', 'debug.step', 'F11'),
        send('Run to Cursor', 'debug.runToCursor', 'CmdOrCtrl+F10'),
        { type: 'separator' },
        send('Break at Phase 2', 'debug.breakAtPhase2'),
      ],
    },
    {
      label: '&View',
      submenu: [
        send('Explorer', 'view.explorer', 'CmdOrCtrl+Shift+E'),
        send('Problems', 'view.problems', 'CmdOrCtrl+Shift+M'),
        send('Build Output', 'view.buildOutput', 'CmdOrCtrl+Shift+U'),
        send('Serial Console', 'view.serial', 'CmdOrCtrl+Shift+Y'),
        send('VGA Display', 'view.vga', 'CmdOrCtrl+Shift+G'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(options.devTools ? [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'About Longmode', click: () => actions.about() }] },
  ];
  return Menu.buildFromTemplate(template);
}
