package conversion_test

import "github.com/hybridid/hybridid/anchor"

type anchorT = anchor.SourceAnchor
