// The export flows: added once the exports exist on main.
export const EXPORT_FLOWS = [];
