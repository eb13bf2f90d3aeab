import type {
  AllMiddlewareArgs,
  AnyMiddlewareArgs,
  App,
  BlockAction,
  MessageShortcut,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { match, P } from 'ts-pattern';

export type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
export type ActionListener = (args: ActionArgs) => Promise<void>;
export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type EventArgs = SlackEventMiddlewareArgs & AllMiddlewareArgs;
export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/**
 * Listeners by id (a command, an action_id, a callback_id or an event type) behind one router.
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
}

/**
 * Routes for slash commands (by command), message shortcuts and modal
 * submissions (by callback_id), block actions (by action_id) and events (by type).
 */
export type SlackRoutes = {
  commands: Routes<CommandArgs>;
  shortcuts: Routes<ShortcutArgs>;
  actions: Routes<ActionArgs>;
  views: Routes<ViewArgs>;
  events: Routes<EventArgs>;
};

export function slackRoutes(): SlackRoutes {
  return {
    commands: new Routes<CommandArgs>(),
    shortcuts: new Routes<ShortcutArgs>(),
    actions: new Routes<ActionArgs>(),
    views: new Routes<ViewArgs>(),
    events: new Routes<EventArgs>(),
  };
}

type Args = AnyMiddlewareArgs & AllMiddlewareArgs;

/** Hands a request to the routes of its kind; false when no route takes it. */
function route(routes: SlackRoutes, args: Args): Promise<boolean> {
  const body = args.body as { type?: unknown; command?: unknown };
  return match(body)
    .with({ command: P.string }, (b) => routes.commands.run(b.command, args as CommandArgs))
    .with({ type: 'block_actions' }, () => {
      const a = args as ActionArgs;
      return routes.actions.run(a.action.action_id, a);
    })
    .with({ type: 'view_submission' }, () => {
      const a = args as ViewArgs;
      return routes.views.run(a.view.callback_id, a);
    })
    .with({ type: 'message_action' }, () => {
      const a = args as ShortcutArgs;
      return routes.shortcuts.run(a.shortcut.callback_id, a);
    })
    .with({ type: 'event_callback' }, () => {
      const a = args as EventArgs;
      return routes.events.run(a.event.type, a);
    })
    .otherwise(async () => false);
}

/**
 * Whether a request's ack is empty whatever its listener does: a click on a
 * routed button (Slack shows nothing of a block action's ack) and an Events
 * API delivery (Bolt acknowledges it before any listener runs; a
 * function_executed event is acknowledged by its listener). The intake then
 * acknowledges it as soon as it is journalled. Commands and modal submissions
 * can answer in their ack, and a click on a button nobody routes stays
 * unanswered, as before.
 */
export function acksEmpty(routes: SlackRoutes): (body: Record<string, unknown>) => boolean {
  return (body) =>
    match(body)
      .with(
        { type: 'block_actions', actions: [{ action_id: P.string }] },
        (b) => routes.actions.find(b.actions[0].action_id).length > 0,
      )
      .with({ type: 'event_callback', event: { type: P.string } }, (b) => b.event.type !== 'function_executed')
      .otherwise(() => false);
}

/**
 * Mounts the routes as the last global middleware, so that Bolt holds no
 * listener at all. Bolt runs the matching middleware of every listener for
 * every request, each chain with its own copies of the arguments; one
 * middleware that looks the request up costs a fraction of that. A request no
 * route takes goes on to Bolt, which leaves it unanswered (and logs it), as
 * it did with listeners.
 */
export function mountRoutes(app: App, routes: SlackRoutes): void {
  app.use(async (args) => {
    if (!(await route(routes, args))) await args.next();
  });
}
