using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests;

/// <summary>One Azurite for every storage test of this assembly; the tests of the collection run one at a time.</summary>
[CollectionDefinition(AzuriteFixture.Collection)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;
