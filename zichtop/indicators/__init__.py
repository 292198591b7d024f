"""What is measured: the indicator model (numerator over denominator), the CBS tables it reads
(catalog) and the themes that declare indicators. Imports zichtop.core only."""
