namespace PaperGao.Bench.Baseline;

/// <summary>Body of <c>GET /health</c>.</summary>
public sealed record HealthBody(string Status);
