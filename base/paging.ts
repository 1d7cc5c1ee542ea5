// A walk of the guest's page tables as it crosses layers (hex strings, no BigInt).
import type { Hex } from './hex';

export interface MappingRange {
  virt: Hex;
  phys: Hex;
  size: Hex;
  pageSize: '4K' | '2M' | '1G' | 'mixed';
  writable: boolean;
  user: boolean;
  nx: boolean;
  global: boolean;
}

export interface PageTableWalk {
  cr3: Hex;
  recursive: { level: number; index: number }[];
  mappings: MappingRange[];
  anomalies: { kind: string; message: string; table?: Hex; index?: number }[];
}
