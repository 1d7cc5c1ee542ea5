// A tiny runtime shape language: enough to check every incoming call against the contract
// before a service sees it. Pure TypeScript (no Node, no DOM).
import { checkRelativePath } from './workspace-path';

export type Shape =
  | { kind: 'string'; maxLength?: number }
  | { kind: 'path' } // a workspace-relative path (syntax only; main/node checks symlinks)
  | { kind: 'number'; integer?: boolean; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'literal'; values: readonly string[] }
  | { kind: 'array'; of: Shape; maxItems?: number }
  | { kind: 'object'; props: Record<string, Shape>; optional?: readonly string[] }
  | { kind: 'map'; of: Shape; maxKeys?: number }
  | { kind: 'oneOf'; options: Shape[] };

export const str = (maxLength = 1 << 20): Shape => ({ kind: 'string', maxLength });
export const path: Shape = { kind: 'path' };
export const bool: Shape = { kind: 'boolean' };
export const num: Shape = { kind: 'number' };
export const literal = (...values: string[]): Shape => ({ kind: 'literal', values });
export const arrayOf = (of: Shape, maxItems = 10_000): Shape => ({ kind: 'array', of, maxItems });
export const mapOf = (of: Shape, maxKeys = 1_000): Shape => ({ kind: 'map', of, maxKeys });
export const oneOf = (...options: Shape[]): Shape => ({ kind: 'oneOf', options });
export const obj = (props: Record<string, Shape>, optional: string[] = []): Shape => ({ kind: 'object', props, optional });
export const empty: Shape = obj({});

/** Returns undefined when `value` fits `shape`, else a message naming the first misfit (e.g. "args.path: …"). */
export function checkShape(value: unknown, shape: Shape, at: string): string | undefined {
  switch (shape.kind) {
    case 'string':
      if (typeof value !== 'string') return `${at} must be a string`;
      if (shape.maxLength !== undefined && value.length > shape.maxLength) return `${at} is longer than ${shape.maxLength} characters`;
      return undefined;
    case 'path': {
      if (typeof value !== 'string') return `${at} must be a workspace-relative path string`;
      const problem = checkRelativePath(value);
      return problem ? `${at}: ${problem}` : undefined;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${at} must be a finite number`;
      if (shape.integer && !Number.isInteger(value)) return `${at} must be an integer`;
      if (shape.min !== undefined && value < shape.min) return `${at} must be at least ${shape.min}`;
      if (shape.max !== undefined && value > shape.max) return `${at} must be at most ${shape.max}`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${at} must be true or false`;
    case 'literal':
      return typeof value === 'string' && shape.values.includes(value) ? undefined : `${at} must be one of ${shape.values.map((v) => `'${v}'`).join(', ')}`;
    case 'array': {
      if (!Array.isArray(value)) return `${at} must be an array`;
      if (shape.maxItems !== undefined && value.length > shape.maxItems) return `${at} has more than ${shape.maxItems} items`;
      for (let i = 0; i < value.length; i++) {
        const problem = checkShape(value[i], shape.of, `${at}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'map': {
      if (!isPlainObject(value)) return `${at} must be an object`;
      const keys = Object.keys(value);
      if (shape.maxKeys !== undefined && keys.length > shape.maxKeys) return `${at} has more than ${shape.maxKeys} keys`;
      for (const key of keys) {
        const problem = checkShape(value[key], shape.of, `${at}.${key}`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'object': {
      if (!isPlainObject(value)) return `${at} must be an object`;
      for (const key of Object.keys(value)) {
        if (!(key in shape.props)) return `${at} has an unknown field '${key}'`;
      }
      for (const [key, propShape] of Object.entries(shape.props)) {
        if (!(key in value) || value[key] === undefined) {
          if (shape.optional?.includes(key)) continue;
          return `${at}.${key} is missing`;
        }
        const problem = checkShape(value[key], propShape, `${at}.${key}`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'oneOf': {
      const problems = shape.options.map((option) => checkShape(value, option, at));
      return problems.some((p) => p === undefined) ? undefined : problems[0];
    }
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
