using PaperGao.Api.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(PostgresCluster))]
