namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>What a test server is started with: <c>PaperGao:Dir</c> and, for PostgreSQL, <c>PaperGao:Db</c>.</summary>
public sealed record PaperGaoHostSettings(string Dir, string? Db);
