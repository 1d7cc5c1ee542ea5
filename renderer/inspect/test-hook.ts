// The page hook the inspection panes install for the end-to-end tests (window.longmodeInspectTest).
// Types only: the renderer installs it, e2e/ reads it; both take the shape from here.
export interface InspectTestHook {
  showSyntheticPageTables(count: number): void;
  findInPageTables(address: string): number;
  setBreakpoints(file: string, lines: number[]): Promise<void>;
  call(method: string, args: unknown): Promise<unknown>;
}

declare global {
  interface Window {
    /** test hook: feeds the page-tables pane without a guest */
    longmodeInspectTest?: InspectTestHook;
  }
}
