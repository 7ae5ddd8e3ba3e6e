"""Who is asking, and what they may see: tokens, scopes, grants and the masking policy."""
