// The two IPC channel names the preload and the main process share (no other channel is used).
export const toMainChannel = 'longmode:to-main';
export const toRendererChannel = 'longmode:to-renderer';
