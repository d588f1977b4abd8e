using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests;

/// <summary>One Azurite for every storage test of this assembly; the tests of the collection run one at a time.</summary>
[CollectionDefinition(AzuriteFixture.Collection)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;

/// <summary>
/// An Azurite of its own for the tests that kill <c>dp serve</c> processes (<c>ServeCommandCrashTests</c>), so they
/// run beside the <see cref="AzuriteCollection"/> instead of after it: each spends most of its minute waiting for a
/// dead host's lease and messages to expire, and together they took a third of this assembly's time in one line.
/// </summary>
[CollectionDefinition(Name)]
public sealed class KilledHostCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite, killed hosts";
}
