"""Credit lines, financing applications, pricing, approvals and clearing."""
