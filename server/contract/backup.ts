/** Contracts of the backup routes (filled as the routes move onto route(contract, handler)). */
export {};
