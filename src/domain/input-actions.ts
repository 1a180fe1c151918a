/**
 * The agent statuses of imbot.v2.Chat.InputAction.notify and the text the chat header shows for each
 * (b24restdocs chat-bots-v2/imbot.v2/ui/chat-input-action-notify.md#status-codes).
 */
export const INPUT_ACTIONS: Readonly<Record<string, string>> = {
  IMBOT_AGENT_ACTION_THINKING: 'Agent is thinking...',
  IMBOT_AGENT_ACTION_SEARCHING: 'Agent is searching for information...',
  IMBOT_AGENT_ACTION_GENERATING: 'Agent is preparing a response...',
  IMBOT_AGENT_ACTION_ANALYZING: 'Agent is analyzing the request...',
  IMBOT_AGENT_ACTION_PROCESSING: 'Agent is processing data...',
  IMBOT_AGENT_ACTION_TRANSLATING: 'Agent is translating text...',
  IMBOT_AGENT_ACTION_CONNECTING: 'Agent is connecting to the service...',
  IMBOT_AGENT_ACTION_CHECKING: 'Agent is checking data...',
  IMBOT_AGENT_ACTION_CALCULATING: 'Agent is calculating...',
  IMBOT_AGENT_ACTION_READING_DOCS: 'Agent is reviewing documents...',
  IMBOT_AGENT_ACTION_COMPOSING: 'Agent is composing a response...',
};

/** How long an indicator may be asked to show, in seconds (the page's `duration`, 1–600). */
export const INPUT_ACTION_DURATION = { min: 1, max: 600 } as const;
