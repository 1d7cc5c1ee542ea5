// The issue-6 calls as service-host handlers: the host merges them with one line,
//   ...inspectionHandlers({ guest: () => this.vm.guest(), emit, workspace: workspace.realRoot }).handlers
import type { CallArgs, CallResult } from '../../common/contract';
import { DebugService } from './debug-service';
import { InspectionContext, type InspectionDeps } from './inspection-context';
import { InspectService } from './inspect-service';
import { SnapshotService } from './snapshot-service';

export type InspectionCall =
  | 'inspect.memoryMap' | 'inspect.heap' | 'inspect.pageTables' | 'inspect.pageTableNode' | 'inspect.translate'
  | 'inspect.readMemory' | 'inspect.registers' | 'inspect.captureWalk' | 'inspect.captures' | 'inspect.diffWalks'
  | 'debug.setBreakpoints' | 'debug.continue' | 'debug.step' | 'debug.stepOver' | 'debug.runToLine' | 'debug.breakAtPhase2' | 'debug.locate'
  | 'snapshot.save' | 'snapshot.load' | 'snapshot.list';

export type InspectionHandlers = { [M in InspectionCall]: (args: CallArgs<M>) => Promise<CallResult<M>> | CallResult<M> };

export interface InspectionServices {
  inspect: InspectService;
  debug: DebugService;
  snapshots: SnapshotService;
  handlers: InspectionHandlers;
}

export function inspectionHandlers(deps: InspectionDeps): InspectionServices {
  const ctx = new InspectionContext(deps);
  const inspect = new InspectService(ctx);
  const debug = new DebugService(ctx, inspect);
  const snapshots = new SnapshotService(ctx);
  const handlers: InspectionHandlers = {
    'inspect.memoryMap': () => inspect.memoryMap(),
    'inspect.heap': () => inspect.heap(),
    'inspect.pageTables': () => inspect.pageTables(),
    'inspect.pageTableNode': (args) => inspect.pageTableNode(args),
    'inspect.translate': (args) => inspect.translate(args),
    'inspect.readMemory': (args) => inspect.readMemory(args),
    'inspect.registers': () => inspect.registers(),
    'inspect.captureWalk': (args) => inspect.captureWalk(args),
    'inspect.captures': () => inspect.listCaptures(),
    'inspect.diffWalks': (args) => inspect.diffWalks(args),
    'debug.setBreakpoints': (args) => debug.setBreakpoints(args),
    'debug.continue': () => debug.continue(),
    'debug.step': () => debug.step(),
    'debug.stepOver': () => debug.stepOver(),
    'debug.runToLine': (args) => debug.runToLine(args),
    'debug.breakAtPhase2': () => debug.breakAtPhase2(),
    'debug.locate': (args) => debug.locate(args),
    'snapshot.save': (args) => snapshots.save(args),
    'snapshot.load': (args) => snapshots.load(args),
    'snapshot.list': () => snapshots.list(),
  };
  return { inspect, debug, snapshots, handlers };
}
