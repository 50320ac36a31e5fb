# The detector's package also holds the shared modules (see stacks/functions/README.md);
# put them on the path the way the package layout does.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
