from newscorpus.cli import main

raise SystemExit(main())
