import { isStandardSecret, newWebhookSecret, SecretBox } from '@optline/core';
import type { FlowRepository } from '../persistence/flow.repository';

/**
 * The flow's signing secret in clear. A secret made before the hub signed with Standard Webhooks
 * (`whsec_` + base64url, which the libraries cannot decode) is replaced by a standard one the
 * first time it is needed: receivers move to the new scheme anyway and take the new secret from
 * GET /v1/flows/:id/webhook-secret (docs/webhooks.md, "Migrating"; decision 0233).
 */
export async function flowWebhookSecret(flows: FlowRepository, secretBox: SecretBox, workspaceId: string, flowId: string): Promise<string | null> {
  const sealed = await flows.webhookSecret(workspaceId, flowId);
  if (!sealed) return null;
  const secret = secretBox.open(sealed);
  if (isStandardSecret(secret)) return secret;
  const replacement = newWebhookSecret();
  await flows.replaceWebhookSecret(workspaceId, flowId, secretBox.seal(replacement));
  return replacement;
}
