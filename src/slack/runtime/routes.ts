import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';

export type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
export type ActionListener = (args: ActionArgs) => Promise<void>;
export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type EventArgs = SlackEventMiddlewareArgs & AllMiddlewareArgs;

/**
 * Listeners by id (an action_id, a callback_id or an event type) behind one Bolt listener.
 * Bolt runs the matching middleware of every registered listener for every
 * request, each with its own copy of the arguments: with some forty buttons
 * that was most of a click's cost before its ack. Here a request costs one
 * map lookup and a test of the few patterns. As in Bolt, every listener whose
 * id matches runs, in the order they were added.
 */
export class Routes<A> {
  private readonly all: Array<{ id: string | RegExp; listener: (args: A) => Promise<void> }> = [];
  private readonly exact = new Map<string, Array<(args: A) => Promise<void>>>();
  private patterns = false;

  on(id: string | RegExp, listener: (args: A) => Promise<void>): void {
    this.all.push({ id, listener });
    if (typeof id === 'string') this.exact.set(id, [...(this.exact.get(id) ?? []), listener]);
    else this.patterns = true;
  }

  /** The listeners for `id`, in the order they were added. */
  find(id: string): Array<(args: A) => Promise<void>> {
    if (!this.patterns) return this.exact.get(id) ?? [];
    return this.all.filter((r) => (typeof r.id === 'string' ? r.id === id : r.id.test(id))).map((r) => r.listener);
  }

  /** Every listener for `id`, at once; false when none is registered (the request stays unanswered, as in Bolt). */
  async run(id: string, args: A): Promise<boolean> {
    const found = this.find(id);
    if (!found.length) return false;
    await Promise.all(found.map((listener) => listener(args)));
    return true;
  }

  /** The exact ids listened to, in the order they were added. */
  ids(): string[] {
    return [...this.exact.keys()];
  }
}

/**
 * Routes for block actions (by action_id), modal submissions (by callback_id)
 * and events (by type), each mounted as one Bolt listener.
 */
export type SlackRoutes = { actions: Routes<ActionArgs>; views: Routes<ViewArgs>; events: Routes<EventArgs> };

export function slackRoutes(): SlackRoutes {
  return { actions: new Routes<ActionArgs>(), views: new Routes<ViewArgs>(), events: new Routes<EventArgs>() };
}

/** The one Bolt listener of each kind; events are subscribed by the exact types routed (a-z and _ only). */
export function mountRoutes(app: App, routes: SlackRoutes): void {
  app.action<BlockAction>({ type: 'block_actions' }, async (args) => {
    await routes.actions.run(args.action.action_id, args);
  });
  app.view<ViewSubmitAction>({ type: 'view_submission' }, async (args) => {
    await routes.views.run(args.view.callback_id, args);
  });
  const types = routes.events.ids();
  if (types.some((t) => !/^[a-z_]+$/.test(t))) throw new Error(`not an event type: ${types.join(', ')}`);
  app.event(new RegExp(`^(${types.join('|')})$`), async (args) => {
    await routes.events.run(args.event.type, args);
  });
}
