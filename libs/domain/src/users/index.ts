export * from './user-input';
export * from './password-policy';
export * from './secret-token';
export * from './session-rules';
