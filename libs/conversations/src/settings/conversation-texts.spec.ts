import { CONVERSATION_TEXT_KEYS, CONVERSATION_TEXTS, textProblems, textTemplate } from './conversation-texts';

describe('conversation texts', () => {
  it("keeps seed 004's wording for the opt-in request, the opt-out notice and the outbound disclaimer", () => {
    expect(CONVERSATION_TEXTS.optInRequest.default).toBe(
      '[Auto Message] {{ agent.name }} is trying to reach you. As per company policy, you must provide your consent to continue messaging. To Opt in, reply YES. To opt out, reply STOP.',
    );
    expect(CONVERSATION_TEXTS.agentOptedOut.default).toBe(
      '[Auto Message] Your contact has opted out. No further messages can be sent to this contact until they have provided their consent again.',
    );
    expect(CONVERSATION_TEXTS.disclaimerOutbound.default).toBe(
      '[Auto Message] You are receiving messages from {{ agent.name }} on behalf of {{ workspace.brandName }}. To opt out, reply STOP.',
    );
  });

  it('accepts every default as it stands', () => {
    for (const key of CONVERSATION_TEXT_KEYS) expect([key, textProblems(key, CONVERSATION_TEXTS[key].default)]).toEqual([key, []]);
  });

  it('refuses a request that no longer tells the contact how to answer', () => {
    expect(textProblems('optInRequest', '{{ agent.name }} wants to text you. Reply STOP to opt out.')).toEqual(['must tell the contact to reply YES']);
    expect(textProblems('optInRequest', 'Reply YES to chat with {{ agent.name }}')).toEqual(['must tell the contact to reply STOP']);
    // "YESTERDAY" is not the keyword.
    expect(textProblems('disclaimerInbound', 'You texted us YESTERDAY, reply STOPPING')).toEqual(['must tell the contact to reply STOP']);
  });

  it('refuses empty and overlong texts, and lets agent notices say anything', () => {
    expect(textProblems('agentOptedIn', '   ')).toEqual(['must not be empty']);
    expect(textProblems('agentOptedIn', 'x'.repeat(641))).toEqual(['must be at most 640 characters']);
    expect(textProblems('agentOptedIn', 'They said yes.')).toEqual([]);
  });

  it("uses the workspace's template when it has one, else the default", () => {
    expect(textTemplate({ agentOptedIn: 'Custom' }, 'agentOptedIn')).toBe('Custom');
    expect(textTemplate({ agentOptedIn: 'Custom' }, 'agentOptedOut')).toBe(CONVERSATION_TEXTS.agentOptedOut.default);
  });
});
