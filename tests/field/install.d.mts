export declare const FIELD_DIR: string;
export declare function lockHash(): string;
export declare function isInstalled(): boolean;
export declare function ensureInstalled(opts?: { quiet?: boolean }): { installed: boolean; ms: number };
