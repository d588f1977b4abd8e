using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.Browser.Tests;

/// <summary>One Azurite for every browser test of this assembly; the tests of the collection run one at a time.</summary>
[CollectionDefinition(AzuriteFixture.Collection)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;
