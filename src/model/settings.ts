/** The project settings a rule may read, resolved per environment by the engine (engine/settings.ts). */
export interface Settings {
  /** Resolved per environment: "auto" has become "always" or "when-used". */
  sqlmodelImport: 'always' | 'when-used';
  checkDowngrade: boolean;
  vagueMessages: string[];
  dialect: string;
}
