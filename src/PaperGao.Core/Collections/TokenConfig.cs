namespace PaperGao.Core.Collections;

/// <summary>A token type's lifetime (seconds) and signing secret (never serialized to API responses).</summary>
public sealed record TokenConfig(long Duration, string Secret);
