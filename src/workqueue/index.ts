/** Public surface of the work queue: pending work of an authority, merged from each module's public list. */
export { workQueueRoutes } from './workqueue.routes.ts';
export { workQueue, type QueueItem, type WorkKind } from './queue.service.ts';
