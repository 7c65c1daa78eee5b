import { nodeLoadContext } from '../../../build/node-load-context';
import type { LoadContext } from './registry';

/** The LoadContext tests use: the shipped files, no network. */
export function testLoadContext(): LoadContext {
  return nodeLoadContext();
}
