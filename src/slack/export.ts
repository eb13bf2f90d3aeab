import { type Message, section } from './blocks/kit.js';
import { COMMAND } from './ids.js';

/**
 * The seam for ADR export from Slack. The ADR module (src/adr) renders the
 * records; when it is ready, this is where `client.filesUploadV2` (files:write,
 * thread_ts of the request) uploads them. Until then the command line does it.
 */
export function exportMessage(teamId: string): Message {
  return {
    text: `Export from Slack is not available yet; run mesh-help export on the command line.`,
    blocks: [
      section(
        `Export from Slack is coming. For now, on the machine that runs the bot:\n\`\`\`npx mesh-help export --team ${teamId} --out docs/adr\`\`\`\nIt writes this team’s decisions as ADR files.`,
      ),
      section(`\`${COMMAND} decisions\` lists them here in the meantime.`),
    ],
  };
}
