/** Contracts of the mujun routes (filled as the routes move onto route(contract, handler)). */
export {};
