import { z } from 'zod';

export const password = z.string().min(12, 'Use at least 12 characters.');

export const signInSchema = z.object({
  email: z.email('Enter your email address.'),
  password: z.string().min(1, 'Enter your password.'),
});
export type SignInValues = z.infer<typeof signInSchema>;

export const setupSchema = z.object({
  setupCode: z.string().trim().min(1, 'Enter the setup code from the hub’s log.'),
  workspaceName: z.string().trim().min(1, 'Name your workspace.'),
  brandName: z.string().trim().min(1, 'Enter the name customers see in your texts.'),
  displayName: z.string().trim().min(1, 'Enter your name.'),
  email: z.email('Enter your email address.'),
  password,
});
export type SetupValues = z.infer<typeof setupSchema>;

export const acceptSchema = z.object({
  displayName: z.string().trim().min(1, 'Enter your name.'),
  password,
});
export type AcceptValues = z.infer<typeof acceptSchema>;
